import { KeyStoreSealing, PERSONAL_DATA_SEALING } from '../custody/sealing/personal-data-sealing';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../sealing/key-store';
import { DynamicModule, Module } from '@nestjs/common';
import { ClockModule } from '../platform/clock.module';
import { EvidenceBundleHttpController } from './bundle/evidence-bundle.http.controller';
import { EvidenceBundleService } from './bundle/evidence-bundle.service';
import { StoredBundles } from './bundle/stored/stored-bundles.service';
import { StoredBundlesHttpController } from './bundle/stored/stored-bundles.http.controller';
import { TreeHeadsHttpController } from './tree-heads/tree-heads.http.controller';
import { WitnessesHttpController } from './witnessing/witnesses.http.controller';

/** What the evidence side is wired to: the event store, the projection runtime, its signed heads, and the custody history (a port). */
export interface EvidenceDependencies {
  /** The app's LedgerModule.forRoot(…): the event store the bundle reads a seizure's stream from. */
  ledger: DynamicModule;
  /** The app's ProjectionsModule.forRoot(…): the read-model database and the projector. */
  projections: DynamicModule;
  /** The app's TreeHeadsModule.forRoot(…), over the same runtime. */
  treeHeads: DynamicModule;
  /** The app's WitnessingModule.forRoot(…): cosigned checkpoints and the quorum a bundle waits for. */
  witnessing: DynamicModule;
  /** A module exporting CUSTODY_HISTORY_SOURCE, for the bundle's custody section. */
  custodyHistory: DynamicModule;
  /** The app's SealingModule.forRoot(…): bundles then carry opened sealed values with their salts. */
  sealing?: DynamicModule;
  /** The app's StoredBundlesModule.forRoot(…): every bundle issued is kept, and served again by its hash. */
  storedBundles?: DynamicModule;
}

/**
 * The public routes under /evidence (tree heads, proofs, the public key), the evidence bundle
 * of a seizure, and (with storedBundles) the bundles issued, again by their hash. Its projection (the Merkle log) is listed in evidence-projections.ts.
 */
@Module({})
export class EvidenceModule {
  static forRoot(dependencies: EvidenceDependencies): DynamicModule {
    return {
      module: EvidenceModule,
      imports: [
        dependencies.ledger,
        ClockModule,
        dependencies.projections,
        dependencies.treeHeads,
        dependencies.witnessing,
        dependencies.custodyHistory,
        ...(dependencies.sealing ? [dependencies.sealing] : []),
        ...(dependencies.storedBundles ? [dependencies.storedBundles] : []),
      ],
      controllers: [
        TreeHeadsHttpController,
        WitnessesHttpController,
        EvidenceBundleHttpController,
        ...(dependencies.storedBundles ? [StoredBundlesHttpController] : []),
      ],
      providers: [
        EvidenceBundleService,
        ...(dependencies.storedBundles ? [StoredBundles] : []),
        ...(dependencies.sealing
          ? [
              {
                provide: PERSONAL_DATA_SEALING,
                useFactory: (keys: PersonalDataKeyStore) => new KeyStoreSealing(keys),
                inject: [PERSONAL_DATA_KEY_STORE],
              },
            ]
          : []),
      ],
    };
  }
}
