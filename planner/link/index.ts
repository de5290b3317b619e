/** The optical channel model: public entry points (see docs/link-budget.md). */
export { channelTransmittance, channelSeries, type ChannelResult, type ChannelSeries, type LinkLossParts } from './channel.ts';
export { LinkParamsSchema, type LinkParams, type LinkParamsInput, type LinkDirection, type TransmitterParams, type ReceiverParams, type AtmosphereParams } from './params.ts';
export { parseTerminalFile, parseJsonWith, TerminalFileSchema, type TerminalFile, type ParseResult } from './terminal-file.ts';
export { kastenYoungAirMass, zenithTransmittance, slantTransmittance, ZENITH_TRANSMITTANCE_TABLE } from './atmosphere.ts';
export { beamRadiusAt, collectedFraction, waistFromDivergence } from './gaussian-beam.ts';
export { pointingTransmittance } from './pointing.ts';
export { friedParameterM, fieldOfViewCoupling, longTermBeamRadiusM } from './turbulence.ts';
export { syntheticPass, slantRangeKm, elevationAtRangeDeg, type SyntheticPassOptions } from './synthetic-pass.ts';
