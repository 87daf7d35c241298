"""UI pieces shared by handlers and the scheduler: callback data, keyboards, rendering."""
