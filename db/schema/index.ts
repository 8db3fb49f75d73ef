export * from "./organizations";
export * from "./users";
export * from "./audit";
export * from "./integration";
export * from "./catalog";
export * from "./inventory";
