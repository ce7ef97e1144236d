"""The coordinators' and facilitators' web dashboard: server-rendered, works without JavaScript."""
