"""The engine that drives schemathesis: its phases, our extension points, the scenario client, and the run itself."""
