import 'reflect-metadata';
import { runService } from '@rf/platform-runtime';
import { loadInventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

void runService({ loadConfig: () => loadInventoryConfig(), module: (config) => InventoryModule.register(config) });
