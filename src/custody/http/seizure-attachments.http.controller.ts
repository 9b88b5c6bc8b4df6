import {
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Optional,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import type { KeyTombstone } from '../../sealing/key-store';
import { ATTACHMENT_STORE, isSha256Hex, type AttachmentStore } from '../../attachments/attachment-store';
import {
  PERSONAL_ATTACHMENT_STORE,
  PersonalAttachmentsUnavailableError,
  type PersonalAttachmentStore,
} from '../../attachments/personal-attachment-store';
import { dataSubject } from '../../sealing/subjects';
import { requireDeclaredType } from '../../attachments/content-sniffing';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Roles } from '../../auth/roles.decorator';
import type { Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { attachmentDisposition } from '../../platform/http/content-disposition';
import { Doc, DocOptional, FreeText, Line } from '../../platform/http/field-rules';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../sealing/personal-data-sealing';
import { handleSeizureCommand, loadSeizure, type CommandOutcome } from '../handle-command';
import type { AttachmentAdded } from '../events';
import { requireVisible } from '../visibility';
import { mayReadPersonalData } from '../personal-data';
import { etagOf, parseIfMatch, IfMatchHeader } from './revision-headers';
import { personalAttachmentGone, personalAttachmentWithheld } from './personal-attachment-problems';

/** What may be attached: photos, scans and videos of the seizure, its seals and its memo. */
export const ATTACHMENT_MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/ogg',
] as const;
const EXTENSIONS: Record<(typeof ATTACHMENT_MEDIA_TYPES)[number], string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
};
const extensionOf = (mediaType: string): string => EXTENSIONS[mediaType as keyof typeof EXTENSIONS] ?? '';

/** The upload route, which the JSON-only guard in bootstrap lets through with a binary body. */
export const ATTACHMENT_UPLOAD_PATH = /^\/seizures\/[^/]+\/attachments\/?$/;

export class AttachmentQuery {
  @Doc('The file name as the uploader knows it, without a path (personal data, sealed).', 'panchnama-FS3-VNS-2024-117.pdf')
  @Line(1, 255)
  @Matches(/^[^/\\]+$/, { message: 'fileName must be a bare file name, e.g. seal-S-1001.jpg, without / or \\' })
  fileName!: string;

  @DocOptional('What the file shows (personal data, sealed).', 'Seizure memo signed by both witnesses, scanned')
  @IsOptional()
  @FreeText(0, 2000)
  description?: string;

  /** Marks the file personal data of this person (an ID scan, a photo of them): stored encrypted under their key. */
  @IsOptional()
  @Matches(/^(seized-from|witness-[1-9][0-9]{0,3}|release-recipient-[1-9][0-9]{0,3})$/, {
    message: 'personalDataOf must be seized-from, witness-<n> or release-recipient-<n> (n from 1 to 9999): whose personal data the file is',
  })
  personalDataOf?: string;
}

/**
 * Attachments: the content goes to the content-addressed store first, then the event that names
 * its SHA-256 is appended. Content without an event is harmless (unreferenced); an event without
 * content cannot happen.
 */
@Controller('seizures/:seizureId/attachments')
export class SeizureAttachmentsHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_SEALING) private readonly sealing: PersonalDataSealing,
    @Inject(ATTACHMENT_STORE) private readonly attachments: AttachmentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(PERSONAL_ATTACHMENT_STORE) private readonly personal: PersonalAttachmentStore | null = null,
  ) {}

  @IfMatchHeader()
  @Post()
  @HttpCode(200)
  @Roles('officer', 'custodian', 'treasury', 'committee')
  async upload(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Query() query: AttachmentQuery,
    @Headers('content-type') contentType: string | undefined,
    @Headers('content-encoding') contentEncoding: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandOutcome & { sha256: string }> {
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new ProblemHttpException({
        status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        slug: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail: `Attachments must be one of ${ATTACHMENT_MEDIA_TYPES.join(', ')}.`,
      });
    }
    // The stored bytes are the evidence and their hash is recorded: they are taken exactly as sent.
    if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') {
      throw new ProblemHttpException({
        status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        slug: 'unsupported-content-encoding',
        title: 'Unsupported content encoding',
        detail: 'Attachments are stored byte for byte under their SHA-256: send the file itself, without Content-Encoding.',
      });
    }
    const expectedRevision = parseIfMatch(ifMatch);
    const id = seizureId.toLowerCase();
    // Refuse before storing anything: no content is kept for a seizure the caller cannot touch.
    requireVisible((await loadSeizure(this.store, id, this.sealing)).state, actor, id);

    // By magic number, before anything is stored: HTML declared as image/png must not be kept and served back.
    const content = await requireDeclaredType(request, mediaType);
    const described = { mediaType, fileName: query.fileName, description: query.description ?? '' };
    const append = (data: AttachmentAdded['data']): Promise<CommandOutcome> =>
      handleSeizureCommand(
        this.store,
        id,
        { type: 'AddAttachment', data },
        { actor, now: this.clock.now() },
        {
          expectedRevision,
          sealing: this.sealing,
        },
      );
    let outcome: CommandOutcome;
    let sha256: string;
    if (query.personalDataOf === undefined) {
      const stored = await this.attachments.put(content, { maxBytes: this.config.attachmentMaxBytes });
      outcome = await append({ ...stored, ...described });
      sha256 = stored.sha256;
    } else {
      if (!this.personal) throw new PersonalAttachmentsUnavailableError();
      // The subject's key is durable before the ciphertext is written, and both before the event.
      const stored = await this.personal.put({ seizureId: id, subject: dataSubject(query.personalDataOf) }, content, {
        maxBytes: this.config.attachmentMaxBytes,
      });
      const { sha256: digest, sizeBytes, keyId } = stored;
      outcome = await append({ sha256: digest, sizeBytes, ...described, personalDataOf: query.personalDataOf, contentKeyId: keyId });
      await this.personal.markUsed([keyId]);
      sha256 = digest;
    }
    res.setHeader('ETag', etagOf(outcome.revision));
    return { ...outcome, sha256 };
  }

  @Get(':sha256')
  async download(
    @Param('seizureId', new ParseUUIDPipe()) seizureId: string,
    @Param('sha256') sha256: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const id = seizureId.toLowerCase();
    const { state, events } = await loadSeizure(this.store, id, this.sealing);
    requireVisible(state, actor, seizureId);
    const added = isSha256Hex(sha256)
      ? events
          .filter((e) => e.type === 'AttachmentAdded' && (e.data as AttachmentAdded['data']).sha256 === sha256)
          .map((e) => e.data as AttachmentAdded['data'])
      : [];
    const inClear = added.find((meta) => meta.personalDataOf === undefined);
    if (inClear) {
      const opened = await this.attachments.open(sha256);
      if (opened) return this.serve(res, actor, inClear, opened, { personal: false });
    } else if (added.length > 0) {
      if (!mayReadPersonalData(actor)) throw personalAttachmentWithheld();
      return this.servePersonal(res, actor, id, added);
    }
    throw attachmentNotFound();
  }

  /** The newest copy still readable (one file may be personal data of several subjects); 410 when every one was erased. */
  private async servePersonal(
    res: Response,
    actor: Actor,
    seizureId: string,
    added: readonly AttachmentAdded['data'][],
  ): Promise<StreamableFile> {
    const personal = this.personal;
    if (!personal) throw new PersonalAttachmentsUnavailableError();
    let erased: KeyTombstone | undefined;
    for (const meta of [...added].reverse()) {
      const { sha256, personalDataOf, contentKeyId } = meta;
      const opened = await personal.open({
        seizureId,
        subject: dataSubject(personalDataOf as string),
        sha256,
        keyId: contentKeyId as string,
      });
      if (opened.status === 'available') return this.serve(res, actor, meta, opened, { personal: true });
      if (opened.status === 'erased') erased ??= opened.tombstone;
    }
    throw erased ? personalAttachmentGone(erased) : attachmentNotFound();
  }

  private serve(
    res: Response,
    actor: Actor,
    meta: AttachmentAdded['data'],
    opened: { stream: Readable; sizeBytes: number },
    { personal }: { personal: boolean },
  ): StreamableFile {
    const { sha256 } = meta;
    // The file name is free text that may name a person: other roles get one made of the hash,
    // and their copy its own ETag, so no cache answers one role with the other's headers.
    const reader = mayReadPersonalData(actor);
    const fileName = reader ? meta.fileName : `${sha256}${extensionOf(meta.mediaType)}`;
    res.setHeader('ETag', reader ? `"${sha256}"` : `"${sha256}-r"`);
    // RFC 9530: lets the downloader check the bytes against the hash the ledger recorded.
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    // Personal content is never cached: an erasure must not leave a copy in a browser for a year.
    res.setHeader('Cache-Control', personal ? 'no-store' : 'private, max-age=31536000, immutable');
    // Opened directly, the file runs nothing and reaches nothing: no scripts, no same-origin access.
    res.setHeader('Content-Security-Policy', 'sandbox');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(opened.stream, {
      type: meta.mediaType,
      length: opened.sizeBytes,
      disposition: attachmentDisposition(fileName),
    });
  }
}

const attachmentNotFound = (): ProblemHttpException =>
  new ProblemHttpException({
    status: HttpStatus.NOT_FOUND,
    slug: 'attachment-not-found',
    title: 'Not found',
    detail: 'This seizure has no attachment with that SHA-256.',
  });
