/*
 * The modern corpus of `npx projen bench:explore`: state machines of the kind people write today,
 * JSONata-first, built with stepwright's builders in a CDK app, one stack per machine. Run as a
 * script it synthesizes the app into the folder given (`node app.js <outdir>`), one template per
 * stack; bench/modern-corpus.mjs bundles and runs it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { accessRequest, expenseApproval, releaseApproval } from './approvals';
import type { ModernMachine } from './common';
import { documentPipeline, imageModeration, invoiceReader } from './documents';
import { csvImport, jsonExport, logAggregation, prefixScan, tableExport } from './etl';
import { flowDeviceRegistry, flowEscalatingApproval, flowGuardedReply, flowInvoiceLines, flowOrderEnrichment, flowReturnsSaga } from './flows';
import { freshApprovalChain, freshBuildPoller, freshClaimTriage, freshGuardedLabel, freshInvoiceListing, freshLoanPrequal, freshStockCount, freshTripSaga } from './fresh';
import { flowCartTotals, flowGuardrailLoop, flowIntentRouter, flowPolicyRenewal, flowRefundDecision, flowScannedDocument, flowShipmentQuotes, flowSupportTriage, flowWorkspaceProvisioning } from './fresh-flow';
import { athenaDailyReport, labellingCallback, mapsClickstream, mapsInventoryCleanup, mapsLogArchive, mapsOrderLines, mapsPhotoThumbnails, mapsPriceFeed, paymentScreening } from './fresh-maps';
import {
  bedrockIntentRouter, childRunRecorder, expenseCallbackApproval, guardedChunkScoring, hostHealthSweep, rowExportFallback, rowValidationBatch,
  seatBookingSaga, supportSentimentRouter, tableExportPoller,
} from './held-idioms';
import { heldCallbackApproval, heldCartLines, heldEnvelopeRoute, heldJobPolling, heldSdkGuardrail, heldTripSaga } from './hunt-held';
import { huntCsvManifest, huntEnrichFailures, huntPollDeadline, huntQueueApproval, huntReferenceRouter, huntValueKinds } from './hunt-idioms';
import { payoutBatch, reviewBatchScoring, ticketSaga, transcodePolling, vendorOnboarding } from './judged';
import { importRowTotals, jsonPathLoadCount } from './map-fields';
import { checkout, fulfilmentFanOut, orderSaga, paymentRouting } from './orders';
import { athenaReport, backoffRetry, glueJob, transcription } from './polling';
import { rawEventIngest, rawOrderFollowUp, rawPriceList, rawReportPipeline } from './raw-asl';
import { openOrderRestock, overdueInvoiceReminders } from './round10';
import { webhookBatchIntake } from './round11';
import { claimDeadlineSweep, guardedSupportReply, jsonlEventReplay, nestedCatalogue, receiptBatchCsv, vendorPaymentCallback } from './round12';
import { childScoring, enrichedBookingSaga, flagRollout, gluePollingDeadline, orderReferenceParts, seasonLeaderboard } from './round12b';
import { nightlyGlueAlert, publishStatusCheck, publishStatusJsonata, queueCatchMisnamed, queuedReceiptFanOut } from './round13a';
import { customsCodeFiling, labelledTicketTriage } from './round14';
import { adminGrantAudit, auctionClose, openIncidentPager, restoreTestDeadline } from './round15';
import { cartReserveRetries, csvRefundRows, jsonPathRiskBands, jsonStockTotals, mergedCreditLimit, parallelKycReview, ticketTextRouter, trainingJobGate } from './round16';
import {
  auditWriteCatchCopied, batchLookupJsonPath, batchLookupJsonata, batchLookupOptional, exportKindFixed, memberTierAssign, readingKindGate,
  ticketStatusRecheck, ticketStatusRecheckJsonPath,
} from './round16u';
import {
  batchedInvoiceCheck, chunkedRowImport, licenceVersionGate, noticeReviewDecision, parallelTierRisk, partnerRetryCounter, regionalPriceTable,
} from './round17';
import {
  childStatusJsonPath, childStatusJsonata, configBodyJsonPath, configBodyJsonata, ordersQueryJsonPath, ordersQueryJsonata, profileIsNullJsonPath,
  profileIsNullJsonata, profileTypeJsonata, queueReceiveJsonata, scorePayloadJsonPath, scorePayloadJsonata, scoreSelectorJsonPath,
} from './round17u';
import { enrichedSignUp, genAiScoredDraft, jsonPathShipmentBatch } from './round4';
import { childPricingRun, claimsRejectedCount, partnerJitterCatch, reducedOrderTotal } from './round5';
import {
  certificateRenewals, creditLimitTotal, csvBatchImport, declinedChargeRouting, orderEnrichmentFanOut, profileKindsRoute, reminderAtDueTime,
  transcodeStatusPoll,
} from './round6';
import { nightlyChildRun, payoutFailureReport } from './round7';
import { billingCloseChild, sprintBoardClose, vendorPaymentRun } from './round8';
import { memberTierRouting, warehouseNightlyLoad } from './round9';
import { accountClosure, deviceOnboarding, signUp, subscriptionRenewal, ticketTriage } from './services';
import { shapedOrderImport } from './shaped';
import { cartThresholds, exportPolling, guardrailRoute, referenceFormats, skuPrefixRoute } from './strings';
import {
  todayApiStatusJsonPath, todayInvoicePaging, todayOrderStatusHttp, todayProfileLookup, todaySampledReadings, todayStockCheck, todayTicketClassifier,
} from './today';

export const MODERN_MACHINES: readonly ModernMachine[] = [
  documentPipeline, invoiceReader, imageModeration,
  orderSaga, paymentRouting, checkout, fulfilmentFanOut,
  csvImport, jsonExport, prefixScan, logAggregation, tableExport,
  expenseApproval, releaseApproval, accessRequest,
  athenaReport, glueJob, transcription, backoffRetry,
  signUp, subscriptionRenewal, deviceOnboarding, ticketTriage, accountClosure,
  rawReportPipeline, rawEventIngest, rawOrderFollowUp, rawPriceList,
  flowOrderEnrichment, flowGuardedReply, flowInvoiceLines, flowDeviceRegistry, flowEscalatingApproval, flowReturnsSaga,
  genAiScoredDraft, enrichedSignUp,
  freshClaimTriage, freshInvoiceListing, freshStockCount, freshTripSaga, freshApprovalChain, freshBuildPoller, freshLoanPrequal, freshGuardedLabel,
  flowPolicyRenewal, flowGuardrailLoop, flowSupportTriage, flowCartTotals, flowWorkspaceProvisioning, flowIntentRouter, flowRefundDecision,
  flowShipmentQuotes, flowScannedDocument,
  mapsPhotoThumbnails, mapsPriceFeed, mapsClickstream, mapsInventoryCleanup, mapsLogArchive, mapsOrderLines, athenaDailyReport, labellingCallback,
  paymentScreening,
  reviewBatchScoring, vendorOnboarding, ticketSaga, transcodePolling, payoutBatch,
  jsonPathShipmentBatch, shapedOrderImport,
  exportPolling, cartThresholds, referenceFormats, skuPrefixRoute, guardrailRoute,
  hostHealthSweep, rowValidationBatch, supportSentimentRouter, bedrockIntentRouter, rowExportFallback, seatBookingSaga, tableExportPoller,
  expenseCallbackApproval, childRunRecorder, guardedChunkScoring,
  todayProfileLookup, todaySampledReadings, todayInvoicePaging, todayOrderStatusHttp, todayTicketClassifier, todayStockCheck, todayApiStatusJsonPath,
  importRowTotals, jsonPathLoadCount,
  huntCsvManifest, huntPollDeadline, huntReferenceRouter, huntValueKinds, huntQueueApproval, huntEnrichFailures,
  claimsRejectedCount, childPricingRun, partnerJitterCatch, reducedOrderTotal,
  certificateRenewals, declinedChargeRouting, transcodeStatusPoll, reminderAtDueTime, profileKindsRoute, orderEnrichmentFanOut, csvBatchImport,
  creditLimitTotal,
  heldEnvelopeRoute, heldSdkGuardrail, heldCallbackApproval, heldJobPolling, heldTripSaga, heldCartLines,
  payoutFailureReport, nightlyChildRun,
  sprintBoardClose, billingCloseChild, vendorPaymentRun,
  memberTierRouting, warehouseNightlyLoad,
  openOrderRestock, overdueInvoiceReminders,
  webhookBatchIntake,
  claimDeadlineSweep, guardedSupportReply, receiptBatchCsv, jsonlEventReplay, nestedCatalogue, vendorPaymentCallback,
  orderReferenceParts, childScoring, enrichedBookingSaga, gluePollingDeadline, flagRollout, seasonLeaderboard,
  publishStatusCheck, queuedReceiptFanOut, nightlyGlueAlert, queueCatchMisnamed, publishStatusJsonata,
  labelledTicketTriage, customsCodeFiling,
  auctionClose, adminGrantAudit, restoreTestDeadline, openIncidentPager,
  mergedCreditLimit, jsonPathRiskBands, csvRefundRows, jsonStockTotals, ticketTextRouter, cartReserveRetries, parallelKycReview, trainingJobGate,
  batchLookupJsonPath, batchLookupJsonata, batchLookupOptional, ticketStatusRecheck, ticketStatusRecheckJsonPath, readingKindGate, memberTierAssign,
  exportKindFixed, auditWriteCatchCopied,
  regionalPriceTable, chunkedRowImport, parallelTierRisk, batchedInvoiceCheck, partnerRetryCounter, licenceVersionGate, noticeReviewDecision,
  profileIsNullJsonPath, profileIsNullJsonata, profileTypeJsonata, ordersQueryJsonPath, ordersQueryJsonata, scorePayloadJsonPath,
  scoreSelectorJsonPath, scorePayloadJsonata, configBodyJsonPath, configBodyJsonata, childStatusJsonPath, childStatusJsonata, queueReceiveJsonata,
];

/** The corpus's stacks in a new App (bundling skipped: the functions' code is not explored). */
export function modernCorpus(outdir?: string): { app: App; stacks: Stack[] } {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}), context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = MODERN_MACHINES.map((m) => {
    const stack = new Stack(app, m.name);
    m.build(stack);
    return stack;
  });
  return { app, stacks };
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (outdir === undefined) {
    process.stderr.write('usage: node app.js <outdir>\n');
    process.exit(2);
  }
  modernCorpus(outdir).app.synth();
}
