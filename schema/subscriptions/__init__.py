"""Live updates over WebSocket (`graphql-transport-ws`, issue 14): a case's new steps, a member
state's new steps and deadline alerts, each resumable from a cursor."""
