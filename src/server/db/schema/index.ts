export * from "./users";
export * from "./organizations";
export * from "./sessions";
export * from "./audit";
export * from "./monitors";
export * from "./notifications";
export * from "./api";
export * from "./status";
