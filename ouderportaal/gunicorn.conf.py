# gunicorn -c ouderportaal/gunicorn.conf.py  (production entry point)
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
wsgi_app = "ouderportaal.wsgi:application"
accesslog = "-"
errorlog = "-"
timeout = 30
