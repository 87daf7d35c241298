"""Application: entry point, CLI, settings, Bot and Dispatcher factories, UI pieces."""
