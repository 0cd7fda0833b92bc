import type { ExampleDriver } from './driver';
import { conciergeExamples } from './concierge';
import { expertflowExamples } from './expertflow';
import { jaicpExamples } from './jaicp';
import { novatalksExamples } from './novatalks';
import { routingExamples } from './routing';
import { ultimateExamples } from './ultimate';

export type { ExampleDriver } from './driver';

/** How each example with a trigger is driven; examples started by hand alone need no entry. */
export const EXAMPLE_DRIVERS: Record<string, ExampleDriver> = {
	...ultimateExamples,
	...jaicpExamples,
	...expertflowExamples,
	...conciergeExamples,
	...novatalksExamples,
	...routingExamples,
};
