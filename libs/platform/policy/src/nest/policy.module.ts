import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type BundleFiles, BundleFileWatcher, DEFAULT_BUNDLE_POLL_MS } from '../bundle-file.watcher';
import { PolicyGate, type PolicyGateOptions } from '../policy-gate';
import { POLICY_BUNDLE_WATCHER, POLICY_GATE, POLICY_MODULE_OPTIONS } from '../policy.tokens';
import { AuthorizeGuard } from './authorize.guard';

export interface PolicyModuleOptions {
  readonly gate: PolicyGateOptions;
  readonly bundle: BundleFiles;
  readonly pollIntervalMs?: number;
}

export interface PolicyModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: (symbol | string | (abstract new (...args: never[]) => unknown))[];
  readonly useFactory: (...deps: never[]) => PolicyModuleOptions | Promise<PolicyModuleOptions>;
}

/** Loads the bundle before the app takes traffic, then hot-reloads it until shutdown. */
@Injectable()
export class PolicyBundleLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(POLICY_BUNDLE_WATCHER) private readonly watcher: BundleFileWatcher,
    @Inject(POLICY_MODULE_OPTIONS) private readonly options: PolicyModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    // A failed first load leaves the gate without a bundle: every decision denies (fail-closed).
    await this.watcher.poll();
    this.watcher.start(this.options.pollIntervalMs ?? DEFAULT_BUNDLE_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watcher.stop();
  }
}

/** The policy gate, its bundle watcher and AuthorizeGuard (register it as APP_GUARD to enforce). */
@Module({})
export class PolicyModule {
  static forRootAsync(options: PolicyModuleAsyncOptions): DynamicModule {
    return {
      module: PolicyModule,
      imports: options.imports ?? [],
      providers: [
        { provide: POLICY_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: POLICY_GATE,
          useFactory: (o: PolicyModuleOptions) => new PolicyGate(o.gate),
          inject: [POLICY_MODULE_OPTIONS],
        },
        {
          provide: POLICY_BUNDLE_WATCHER,
          useFactory: (gate: PolicyGate, o: PolicyModuleOptions) =>
            new BundleFileWatcher(gate, o.bundle, o.gate.logger),
          inject: [POLICY_GATE, POLICY_MODULE_OPTIONS],
        },
        PolicyBundleLifecycle,
        AuthorizeGuard,
      ],
      exports: [POLICY_GATE, AuthorizeGuard],
    };
  }
}
