"""One router per resource: scenarios, versions, analysis, forecasts, pages (and assets)."""
