import { DynamicModule, Module, type FactoryProvider } from '@nestjs/common';

/**
 * Binds a port one feature owns to what another feature provides, so that the two never import
 * each other: the composition root makes one of these per port and hands it to the consumer.
 */
@Module({})
export class PortBindingModule {
  /** A module exporting `port`, made by `binding` from what `provider` (a module) exports. */
  static bind(port: symbol, provider: DynamicModule, binding: Omit<FactoryProvider, 'provide'>): DynamicModule {
    return { module: PortBindingModule, imports: [provider], providers: [{ provide: port, ...binding }], exports: [port] };
  }
}
