#!/usr/bin/env node
// docker-credential-latchkey: the credential helper docker, podman and skopeo run for the
// registries `latchkey auth configure-docker` set up. It is `latchkey auth credential-helper`
// (get/store/erase/list, the registry host on stdin) under the name the clients look for.
'use strict';

process.argv.splice(2, 0, 'auth', 'credential-helper');
void import('../dist/latchkey.mjs');
