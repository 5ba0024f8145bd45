#!/usr/bin/env node
// The latchkey binary: the bundled CLI (see scripts/build.mjs).
import '../dist/latchkey.mjs';
