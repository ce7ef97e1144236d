"""Demo data for `ungeguide demo`: staff, 20 young people with a year of history, meetings,
agreements, alerts and a youth workshop, so anyone can look around the dashboard.

Everything comes from one `random.Random(seed)`, so a seed always gives the same data set
(password hashes aside: argon2 salts them). All instants are aware UTC; only upcoming meetings,
open agreements' deadlines, the workshop's closing and the invite's expiry lie after `now`.
"""

from ungeguide.demo.fill import DemoLogin, fill_demo

__all__ = ["DemoLogin", "fill_demo"]
