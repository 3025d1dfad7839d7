// Travel time on a road network: pure, deterministic, no DOM or Node APIs (server and browser).
export { EARTH_RADIUS_M, haversineM, minutesAt } from './geo.ts';
export {
	DEFAULT_MERGE_TOLERANCE_M,
	DEFAULT_SPEEDS_KMH,
	DEFAULT_WALKING_SPEED_KMH,
	buildRoadGraph,
	roadArrays,
	type BuildRoadGraphOptions,
	type RoadArrays,
	type RoadGraph,
	type RoadInput,
	type SegmentGrid
} from './graph.ts';
export { isSnapped, snapPoints, type PointInput, type SnapOptions, type SnappedPoint } from './snap.ts';
export {
	ensureSnapped,
	nearestSource,
	nearestSourceTimes,
	nodeTravelTimes,
	travelTimeMatrix,
	type MatrixOptions,
	type NearestSourceResult,
	type NearestSourceTimes,
	type NearestSourceTimesOptions,
	type NodeTravelTimes,
	type TravelTimeMatrix,
	type TravelTimeOptions
} from './travel-time.ts';
export {
	createWorkspace,
	isSettled,
	runDijkstra,
	type DijkstraRunOptions,
	type DijkstraSeeds,
	type DijkstraWorkspace
} from './dijkstra.ts';
