"""Settings come from the environment; production refuses an unsafe configuration."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from capdev.env import ConfigurationError, env_bool, env_int, env_list

PRODUCTION_ENV = {
    "SECRET_KEY": "kJ3v9-production-secret-8c1b4f0e2a7d6c5b9e8f1a2b3c4d5e6f7a8b9c0d",
    "ALLOWED_HOSTS": "capdev.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://capdev.example.org",
    "DEBUG": "false",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "CAPDEV_DEMO", "CAPDEV_TESTING"}
    }
    base["PYTHONWARNINGS"] = "ignore"
    return subprocess.run(
        [sys.executable, "-m", "capdev.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_production_configuration(tmp_path):
    result = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "CAPDEV_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run(["manage", "check"], {**env, "CAPDEV_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_the_development_key_in_production(tmp_path):
    env = {**PRODUCTION_ENV, "SECRET_KEY": "insecure-development-key-do-not-use-in-production"}
    result = _run(["manage", "check"], {**env, "CAPDEV_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "development default" in result.stderr


def test_passwords_are_hashed_with_argon2_outside_tests():
    result = subprocess.run(
        [sys.executable, "-c", "from capdev import settings; print(settings.PASSWORD_HASHERS[0])"],
        env={**{k: v for k, v in os.environ.items() if k != "CAPDEV_TESTING"}, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher", result.stderr


def test_env_helpers_parse_and_reject(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.org, b.org,,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 12
    assert env_list("X_LIST") == ["a.org", "b.org"]
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ConfigurationError, match="X_BOOL"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ConfigurationError, match="X_INT"):
        env_int("X_INT", 0)
