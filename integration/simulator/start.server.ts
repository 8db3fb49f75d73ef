// Starts the simulated systems inside the process (development and demo only).
import { setupServer } from "msw/node";
import { simulatorHandlers } from "./handlers";

export function startSimulator(): { stop: () => void } {
  const server = setupServer(...simulatorHandlers());
  // Only requests to *.simulator.invalid are answered; anything else passes through untouched.
  server.listen({ onUnhandledRequest: "bypass" });
  return { stop: () => server.close() };
}
