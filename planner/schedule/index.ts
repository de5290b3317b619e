/**
 * planner/schedule: the constellation scheduler (issue 4). Pure: files are read by bin/commands/schedule.ts.
 * See docs/scheduler.md for the model and the objective.
 */
export { parseScenario, parseScenarioText, formatIssues, scenarioSchema, type Scenario, type ScenarioInput, type ScenarioIssue, type ScenarioResult, type ScenarioSatellite, type ScenarioStation } from './scenario.ts';
export { weatherModel, type WeatherModel } from './weather.ts';
export { buildCandidates, type CandidateSet, type PassYield, type IslYield, type DroppedCandidate } from './candidates.ts';
export { simplePassYield, simpleIslYield } from './simple-yield.ts';
export { terminalPassYield, terminalIslYield, stationLink, plannerStation } from './link-yield.ts';
export { buildProblem, demandPairs } from './problem.ts';
export { evaluate } from './evaluate.ts';
export { solveHeuristic, type HeuristicOptions, type HeuristicResult } from './heuristic.ts';
export { solveMilp, getHighs, type MilpOptions, type MilpResult } from './solve-milp.ts';
export { schedule, solveProblem, type ScheduleOptions, type ScheduleResult } from './schedule.ts';
export { replan, type ReplanInput } from './replan.ts';
export { planScenario, scenarioCandidates, resolveSatellites, islSessions, type ScenarioCandidateInput, type ScenarioCandidates } from './pipeline.ts';
export { formatJson, planJson } from './output-json.ts';
export { formatCsv } from './output-csv.ts';
export { formatIcs } from './output-ics.ts';
export { formatCzml } from './output-czml.ts';
export { parsePlanText } from './plan-schema.ts';
export type { SchedulePlan, PlanAssignment, PlanDemand, PlanRelay, PlanStats } from './plan.ts';
export type { Candidate, DemandPair, Route, ScheduleProblem, Solution, Evaluation } from './types.ts';
