"""Browser journeys: kneelog as a runner sees it, driven in Debian's Chromium by Playwright.

``harness`` starts ``streamlit run app.py`` on a temporary database and launches the browser; ``conftest`` turns
that into fixtures; each ``test_*`` module is one set of journeys on its own fresh database; ``screenshots``
regenerates the README's pictures with the same machinery (``python -m tests.e2e.screenshots``).
"""
