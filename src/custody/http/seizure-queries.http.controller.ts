import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../shared/actor';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../sealing/personal-data-sealing';
import { loadSeizure } from '../handle-command';
import { requireVisible } from '../visibility';
import { setRepresentationHeaders } from './revision-headers';
import { mayReadPersonalData, toSeizureView, toTrail, type SeizureView, type TrailEntry } from './seizure-view';

/** Reads of one seizure, straight from its stream. Every role may read, within its scope. */
@Controller('seizures')
export class SeizureQueriesHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_SEALING) private readonly sealing: PersonalDataSealing,
  ) {}

  @Get(':seizureId')
  async getSeizure(
    @Param('seizureId', new ParseUUIDPipe()) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SeizureView> {
    const loaded = await this.loadInScope(id, actor);
    setRepresentationHeaders(res, loaded.revision, mayReadPersonalData(actor) ? 'full' : 'redacted');
    return toSeizureView(loaded, actor);
  }

  @Get(':seizureId/events')
  async getTrail(
    @Param('seizureId', new ParseUUIDPipe()) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ seizureId: string; events: TrailEntry[] }> {
    const loaded = await this.loadInScope(id, actor);
    setRepresentationHeaders(res, loaded.revision, mayReadPersonalData(actor) ? 'full' : 'redacted');
    return { seizureId: loaded.state.seizureId, events: toTrail(loaded.events, actor) };
  }

  private async loadInScope(id: string, actor: Actor) {
    const loaded = await loadSeizure(this.store, id.toLowerCase(), this.sealing);
    const state = requireVisible(loaded.state, actor, id);
    // A recorded seizure has at least its recording event, so a revision.
    return { ...loaded, state, revision: loaded.revision as number };
  }
}
