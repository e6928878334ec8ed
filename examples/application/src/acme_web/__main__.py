from acme_web.cli import main

raise SystemExit(main())
