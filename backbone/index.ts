/** Public API of the backbone module (what other modules and the integrator import). */
export { startBackbone, type StartBackboneOptions, type RunningBackbone, type BackboneSae } from './start.ts';
export { startStandaloneKme, type StandaloneKmeOptions, type StandaloneKme } from './standalone.ts';
export { createInProcessNetwork, type InProcessNetwork, type InProcessNetworkOptions } from './network.ts';
export { Kme, satelliteRelayKey, defaultKmeConfig, type KmeConfig, type SatelliteKeyInput, type IngestResult } from './kme.ts';
export { parseTopology, formatIssues, type Topology, type TopologyIssue, type TopologyResult } from './topology/schema.ts';
export { loadTopologyFile, bundledTopologyPath } from './topology/load.ts';
export { TopologyGraph } from './topology/graph.ts';
export { writeTestPki, createTestCa, issueCertificate, type PkiFiles } from './pki.ts';
export { EtsiClient } from './etsi/client.ts';
export { syntheticRelayPass, type SatelliteBlockFile } from './demo-pass.ts';
export { startOperatorApi, createOperatorApp } from './operator/api.ts';
export { kmeKeySink, httpsKeySink, type SatelliteLinkTarget } from './satellite-sink.ts';
