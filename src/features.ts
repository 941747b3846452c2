/**
 * The composition root of chat features: every feature that registers commands, actions or a
 * welcome handler is listed here, in the order `help` shows them. The bot core (`src/bot`) never
 * imports a feature; features import the bot's registry and card types.
 */
import type { BotFeature } from './bot/feature.ts';
import { createKpiFeature } from './bot/commands/kpi/index.ts';
import { goalMarks } from './goals/kpi-annotator.ts';
import { restatedMarks } from './ingest/restated-annotator.ts';
import { orgFeature } from './org/chat/feature.ts';
import { goalsFeature } from './goals/chat/feature.ts';
import { scoresFeature } from './scores/chat/feature.ts';
import { createScoreLookup } from './scores/lookup.ts';
import { digestFeature } from './digests/chat/feature.ts';
import { dataStatusFeature } from './ingest/chat/data-status.ts';
import { customMetricsFeature } from './insights/custom-metrics/chat.ts';
import { whyFeature } from './insights/why/chat.ts';
import { insightsFeature } from './insights/chat/feature.ts';
import { fileImportFeature } from './ingest/chat/file-import.ts';
import { alertLifecycleFeature } from './alerts/chat/feature.ts';
import { alertRulesFeature } from './alerts/chat/rules-feature.ts';

export const FEATURES: readonly BotFeature[] = [createKpiFeature({ annotate: [goalMarks, restatedMarks], scores: createScoreLookup }), goalsFeature, scoresFeature, digestFeature, orgFeature, dataStatusFeature, fileImportFeature, customMetricsFeature, whyFeature, insightsFeature, alertLifecycleFeature, alertRulesFeature];
