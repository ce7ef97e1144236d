"""The coordinators' and facilitators' web dashboard: server-rendered, works without JavaScript.

Importing the package makes `{name:int}` in a route mean a row id (dashboard/url_ids.py), before
any page module builds its routes.
"""

from dashboard import url_ids

url_ids.register()
