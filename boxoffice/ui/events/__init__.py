"""The Events page: box offices and events, the event editor and duplicating an event (T1, T3, T4, T6, T7)."""
