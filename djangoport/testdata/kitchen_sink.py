"""Every form djangoport reads, in one settings file.

Triple-quoted docstrings, comments and code it does not model are skipped.
"""
import os
import sys
import logging
from os import environ, getenv
from pathlib import Path

import boto3
from myproject.log import AuditFilter as Audit
from .base import *  # noqa

BASE_DIR = Path(__file__).resolve().parent.parent
LOG_DIR = os.path.join(BASE_DIR, "logs")
ENV = os.environ.get("ENV", "local")
LEVEL = getenv("DJANGO_LOG_LEVEL", "INFO")
SERVICE = environ["SERVICE_NAME"]
REGION = os.environ.get("AWS_REGION") or "eu-west-1"
DEBUG = False
MAX_BYTES = 10 * 1024 * 1024  # 10 MiB
BACKUPS = 1_000 // 100 - 5
RATIO = 1.5e3 / 3
TIMEOUT = int(os.environ.get("CW_TIMEOUT", 30))
NAME = "app" + "-" + 'svc' \
    "-x"
PREFIX = r"C:\logs\new"
MULTI = """first
second"""
DOLLAR = "cost: $5 ${not_a_var}"
UNICODE = "caf\u00e9 \N{BULLET}" if False else "caf\u00e9 \x41\101"
ADMINS = [("Ops", "ops@example.com")]
HOSTS = {"a", "b"}
squares = [i * i for i in range(10)]
handler_fn = lambda record: True


def skip_static(record):
    return not record.getMessage().startswith("GET /static/")


class ContextFilter(logging.Filter):
    def filter(self, record):
        record.env = ENV
        return True


if DEBUG:
    LEVEL = "DEBUG"
else:
    CONSOLE_STREAM = "ext://sys.stdout"

if os.environ.get("VERBOSE"):
    VERBOSE_LEVEL = "DEBUG"

client = boto3.client(
    "logs",
    region_name=REGION,
    endpoint_url=os.getenv("CW_ENDPOINT", "http://127.0.0.1:4566"),
    aws_access_key_id="AKIAEXAMPLE",
    aws_secret_access_key=os.environ["CW_SECRET"],
)

LOGGING: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "verbose": {
            "format": "{levelname} {asctime} {module} {process:d} {thread:d} {message}",
            "style": "{",
        },
        "simple": {"format": "%(levelname)s %(message)s", "datefmt": None, "fromat": "x"},
        "dollar": {"format": "$levelname $message", "style": "$"},
        "json": {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"},
        "env": {"format": f"[{ENV}] %(message)s {MULTI!r} {DOLLAR} {UNICODE} {PREFIX}"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "context": {"()": ContextFilter},
        "audit": {"()": Audit},
        "static": {"()": "django.utils.log.CallbackFilter", "callback": skip_static},
        "named": {"name": "myproject", "nmae": "x"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stdout,
            "formatter": "verbose",
            "level": logging.DEBUG,
            "filters": ["context", "named"],
        },
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": os.path.join(LOG_DIR, f"{NAME}.log"),
            "maxBytes": MAX_BYTES,
            "backupCount": BACKUPS,
            "formatter": "json",
            "encoding": "utf-8",
        },
        "paths": {
            "class": "logging.FileHandler",
            "filename": str(BASE_DIR / "logs" / "paths.log"),
            "delay": True,
        },
        "cloudwatch": {
            "class": "watchtower.CloudWatchLogHandler",
            "boto3_client": client,
            "log_group_name": f"{SERVICE}-{ENV}",
            "log_stream_name": "{machine_name}-{logger_name}",
            "send_interval": TIMEOUT,
            "max_batch_count": 1000 + 0,
            "use_queues": False,
            "filters": ["audit", "static"],
        },
        "rich": {"class": "rich.logging.RichHandler", "rich_tracebacks": True},
        "weird": {"class": "logging.StreamHandler", "stream": "ext://sys.stdin"},
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ("require_debug_false",),
            "include_html": True,
        },
    },
    "loggers": {
        "": {"handlers": ["console"], "level": LEVEL},
        "django.request": {
            "handlers": ["mail_admins", "rich"],
            "level": "ERROR",
            "propagate": False,
        },
        "myproject": {
            "handlers": ["file", "cloudwatch", "paths"],
            "level": "DEBUG" if DEBUG else "INFO",
            "propogate": 0,
            "verbose": True,
        },
        "myproject.verbose": {"level": VERBOSE_LEVEL, "handlers": squares},
        "myproject.ratio": {"level": RATIO, "handlers": [], "filters": [handler_fn]},
    },
    "root": {"level": "WARNING", "handlers": ["console"], "propagate": True},
}

LOGGING["loggers"]["celery"] = {"level": "INFO", "handlers": ["console"]}
LOGGING["handlers"]["console"]["level"] = "INFO"
LOGGING["loggers"]["django.request"]["handlers"].append("console")
LOGGING.update({"incremental": False})
del LOGGING["loggers"]["myproject.ratio"]
if os.environ.get("JSON_LOGS"):
    LOGGING["handlers"]["console"]["formatter"] = "json"
for name in ["a", "b"]:
    LOGGING["loggers"][name] = {"level": "INFO"}
