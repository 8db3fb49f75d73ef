export * from "./organizations";
export * from "./users";
export * from "./audit";
export * from "./integration";
