"""Parents at once: each logs in, then opens every tab of each child and the family pages, with think time.

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8001 --csv out

bench/run.py --parents 50 runs this for you against the gunicorn it starts. Logins come from PARENT_LOGINS
("user:password,user:password"; default the demo parents), handed out round-robin.
"""

import itertools
import os
import re

from locust import HttpUser, between, task

LOGINS = [
    tuple(item.split(":", 1))
    for item in os.environ.get("PARENT_LOGINS", "ouder:ouder-demo,ouder2:ouder-demo,ouder3:ouder-demo").split(",")
]
NEXT_LOGIN = itertools.cycle(LOGINS)
TAB = re.compile(r'href="(/(?:kind/[^"/]+/[a-z]+|gezin|school|account)/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Parent(HttpUser):
    wait_time = between(0.5, 2.0)  # reading a page before tapping the next tab

    def on_start(self):
        username, password = next(NEXT_LOGIN)
        page = self.client.get("/inloggen/", name="/inloggen/").text
        self.client.post(
            "/inloggen/",
            {"csrfmiddlewaretoken": CSRF.search(page)[1], "username": username, "password": password},
            headers={"Referer": f"{self.host}/inloggen/"},
            name="/inloggen/ (POST)",
        )
        start = self.client.get("/", name="/").text
        self.paths = list(dict.fromkeys(TAB.findall(start)))
        for child_tab in [p for p in self.paths if p.startswith("/kind/")][:1]:
            self.paths += [p for p in TAB.findall(self.client.get(child_tab, name=_name(child_tab)).text)]
        self.paths = list(dict.fromkeys(self.paths)) or ["/"]
        self.tabs = itertools.cycle(self.paths)

    @task
    def open_next_tab(self):
        path = next(self.tabs)
        self.client.get(path, name=_name(path))


def _name(path):
    # One row per tab, not per child.
    return re.sub(r"/kind/[^/]+/", "/kind/<id>/", path)
