"""Settings of the HTTP API (`fonte serve`), read from `FONTE_*` variables like fonte.Settings."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Limits and admin access of the API. Safe defaults: no admin endpoints, small limits."""

    model_config = SettingsConfigDict(env_prefix="FONTE_", extra="ignore")

    admin_token: SecretStr | None = None
    """Enables /api/admin/* (otherwise 404); clients send `Authorization: Bearer <token>`."""
    rate_per_key_per_minute: float = Field(default=60.0, ge=0)
    rate_burst_per_key: float = Field(default=20.0, ge=1)
    """Token bucket per API key: `burst` requests at once, refilled at `per_minute`."""
    rate_per_ip_per_minute: float = Field(default=30.0, ge=0)
    rate_burst_per_ip: float = Field(default=10.0, ge=1)
    """Token bucket per client IP address (the TCP peer; proxies are not trusted)."""
    rate_limit_local: bool = False
    """Whether keyless loopback requests (CLI/curl on this machine) are rate limited too."""
    max_concurrency: int = Field(default=2, ge=1)
    """Answers generated at the same time; more wait in the queue."""
    queue_size: int = Field(default=8, ge=0)
    """Requests that may wait for a generation slot; beyond that, 503 with Retry-After."""
    queue_timeout_s: float = Field(default=30.0, gt=0)
    """How long a queued request waits for a slot before 503."""
    busy_retry_after_s: int = Field(default=5, ge=1)
    idle_timeout_s: float = Field(default=180.0, gt=0)
    """Longest wait for the next piece of an answer before giving up."""
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_history_messages: int = Field(default=20, ge=0)
    max_history_chars: int = Field(default=4000, ge=1)
    """Longest single history message."""
