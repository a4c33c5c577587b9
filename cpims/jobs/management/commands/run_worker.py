import os
import signal
import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cpims.jobs.registry import autodiscover
from cpims.jobs.worker import schedules_enqueue_due, schedules_sync, work_until_idle


class Command(BaseCommand):
    help = "Run background jobs and periodic tasks until stopped (several may run at once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run due jobs, then exit")
        parser.add_argument("--id", default="", help="worker name in job records")

    def handle(self, *args, once: bool, id: str, **options):
        autodiscover()
        worker_id = id or f"{socket.gethostname()}:{os.getpid()}"
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        schedules_sync()
        self.stdout.write(f"worker {worker_id} started")
        while not stopping:
            close_old_connections()
            schedules_enqueue_due()
            ran = work_until_idle(worker_id=worker_id, max_jobs=100)
            if once:
                break
            if not ran:
                time.sleep(settings.CPIMS_WORKER_POLL_SECONDS)
        self.stdout.write(f"worker {worker_id} stopped")
