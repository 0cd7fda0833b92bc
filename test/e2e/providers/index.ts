import { concierge } from './concierge';
import { expertflow } from './expertflow';
import { jaicp } from './jaicp';
import { novatalks } from './novatalks';
import type { ProviderSetup } from './provider';
import { ultimate } from './ultimate';

export type { ProviderSetup, RunningProvider } from './provider';

/** Every provider whose emulator a real-n8n run starts. */
export const PROVIDERS: ProviderSetup[] = [novatalks, ultimate, jaicp, expertflow, concierge];
