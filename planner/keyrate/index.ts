/** The finite-key yield model: public entry points (see docs/finite-key.md). */
export * from './types.ts';
export { finiteKeyLength, finiteKeyAnalysis, finiteSizeLeakageBits, samplingCorrection, type FiniteKeyOptions } from './finite-key.ts';
export { expectedCounts, slotProbabilities, dbToTransmittance, transmittanceToDb, type ExpectedCountsOptions, type SlotProbabilities } from './expected-counts.ts';
export { chernoffInterval, hoeffdingDelta, countInterval, type BoundKind, type CountInterval } from './bounds.ts';
export { DecoyProtocolParamsSchema, KeyrateParamsFileSchema, formatIssues, type KeyrateParamsFile } from './params.ts';
export { evaluateProfile, windowWeights, type TransmittanceProfile, type TransmissionWindow, type ProfileEvaluation } from './profile.ts';
export { optimizeProfile, type OptimizeOptions, type OptimizeResult } from './optimize.ts';
export { expectedPassKey, profileFromSamples, type PassYield, type PassYieldOptions } from './pass-yield.ts';
export { addYieldToPasses, addYieldToInterSatelliteWindows, type YieldFields, type YieldTerminal, type AddYieldOptions } from './add-yield.ts';
export { parseLossProfileCsv, lossProfileToTransmittance, type LossProfile } from './loss-profile.ts';
export { keyrateForProfile, type KeyrateReport } from './keyrate-profile.ts';
export { passLookSamples, interSatelliteLookSamples, yieldForPredictedPasses, yieldForInterSatelliteWindows } from './sgp4-looks.ts';
export { passSeries, type PassSeries } from './pass-series.ts';
export { renderPassReportSvg, type ReportMeta } from './report-svg.ts';
export { expectedBlockKey, concatenateProfiles, type BlockPass, type BlockYield } from './multi-pass.ts';
