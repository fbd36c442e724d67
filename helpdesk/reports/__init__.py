"""What supervisors and editors read: reporting periods, the dashboard's KPIs (`metrics`) and the
unanswered-questions report (`unanswered`). Nothing here writes to the database."""
