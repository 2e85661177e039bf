"""``/api/models``, forecasts, and Monte Carlo experiments as background jobs with progress.

Forecasts are memoised and answered from memory when they can (see
:func:`zopa.web.deps.memory_first`), so this module does not postpone annotations.
"""

import math
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from zopa.models import REGISTRY, Forecast, get_model, nearest_options
from zopa.scenario import Scenario
from zopa.web.deps import NamePath, VersionQuery, jobs_of, memory_first, ref_of, target_of
from zopa.web.errors import ERROR_RESPONSES
from zopa.web.schemas import (
    Analysed,
    ExperimentRequest,
    ForecastOut,
    ForecastRequest,
    JobOut,
    ModelOut,
)

__all__ = ["router"]

router = APIRouter(tags=["forecasts"], responses=ERROR_RESPONSES)
JobPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="the job's id")]



def _forecast_data(scenario: Scenario, forecast: Forecast) -> dict[str, Any]:
    data = forecast.as_dict()
    data["nearest_option"] = nearest_options(scenario, forecast)
    data["metrics"] = {k: v if math.isfinite(v) else None for k, v in data["metrics"].items()}
    return data


@router.get("/models", response_model=list[ModelOut], summary="Forecasting models")
def models() -> list[ModelOut]:
    """The registered forecasting models."""
    return [ModelOut(name=name, summary=(model.__doc__ or "").strip().splitlines()[0])
            for name, model in sorted(REGISTRY.items())]


@router.post("/scenarios/{name}/forecasts", response_model=Analysed[ForecastOut],
             summary="Forecast with one model")
@memory_first
def forecast(request: Request, name: NamePath, body: ForecastRequest,
             version: VersionQuery = "latest") -> Analysed[ForecastOut]:
    """One forecast at the central values of the inputs: a position on every issue."""
    target = target_of(request, name, version)
    workspace = request.app.state.workspace
    model = get_model(body.model)  # an unknown model is a user error, raised before any work
    data = workspace.memo(("forecast", target.key, body.model, body.seed),
                          lambda: _forecast_data(target.scenario,
                                                 model.run(target.scenario, rng=body.seed)))
    return Analysed[ForecastOut](scenario=ref_of(target), result=ForecastOut(**data))


@router.post("/scenarios/{name}/experiments", response_model=JobOut, status_code=202,
             summary="Start a Monte Carlo experiment")
def start_experiment(request: Request, name: NamePath, body: ExperimentRequest,
                     version: VersionQuery = "latest") -> dict[str, Any]:
    """Start the model on `runs` draws of every uncertain input; poll the job for progress."""
    target = target_of(request, name, version)
    return jobs_of(request).start(target, body.model, body.runs, body.seed)


@router.get("/experiments/{job_id}", response_model=JobOut, summary="A Monte Carlo job")
def experiment(request: Request, job_id: JobPath) -> dict[str, Any]:
    """Progress (`done` of `total` runs) and, once `status` is `done`, the result."""
    return jobs_of(request).get(job_id)
