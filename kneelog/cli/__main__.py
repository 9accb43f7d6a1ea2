import sys

from kneelog.cli import main

sys.exit(main())
