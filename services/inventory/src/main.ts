import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { asInventoryConfig, loadInventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

void runService({
  loadConfig: () => loadInventoryConfig(),
  module: (config) => InventoryModule.register(asInventoryConfig(config)),
});
