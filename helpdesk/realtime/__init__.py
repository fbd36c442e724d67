"""Real-time delivery to the widget and the consoles: the hub of channels (`hub`, in-process; `redis_hub`
across processes), the events published on it (`events`) and which agents are online (`presence`,
`redis_presence`)."""
