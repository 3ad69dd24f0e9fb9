import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
# The web server's process: its database statements have the request time limit
# (gandan.core.timeouts); commands and the background worker do not.
os.environ["GANDAN_PROCESS"] = "web"
application = get_wsgi_application()
