# Resilience Fabric: `make up` runs the platform, `make test` proves it.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NODE_BIN := $(shell deploy/local/node.sh)
ifeq ($(NODE_BIN),)
$(error Node.js >= 22 is required and could not be provisioned; see the line above)
endif
export PATH := $(NODE_BIN):$(CURDIR)/node_modules/.bin:$(PATH)
# Native addons must build against the Node that runs them, not a system one.
export npm_config_nodedir := $(abspath $(NODE_BIN)/..)
export NX_DAEMON := false
export NX_NO_CLOUD := true
export KAFKAJS_NO_PARTITIONER_WARNING := 1

# RF_STACK=external: the infrastructure is already running (e.g. docker compose on CI).
RF_STACK ?= local

.PHONY: help bootstrap build bench-event-backbone contracts lint lint-deploy typecheck format test test-unit test-int test-e2e \
	stack-up stack-down stack-status up down status

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# `npm install` against the committed lock file, not `npm ci`: npm 11 omits other platforms' optional
# binaries (@swc/core-*) from the lock and `npm ci` then refuses it.
node_modules/.rf-installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

bootstrap: node_modules/.rf-installed ## install Node (when needed) and the workspace's packages

build: bootstrap ## compile every service and library to dist/
	tsc -p tsconfig.build.json

contracts: bootstrap ## regenerate libs/contracts (types, validators, AsyncAPI) from contracts/events
	SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/contracts/scripts/generate.ts

lint: bootstrap ## eslint (type-aware, module boundaries), prettier, rego formatting, generated-code drift
	SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/contracts/scripts/generate.ts --check
	SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register services/gateway/scripts/write-openapi.ts --check
	nx show projects >/dev/null
	eslint . --max-warnings 0
	prettier --check . --log-level warn
	deploy/local/stack.sh up opa >/dev/null
	deploy/local/with-env.sh bash -c 'out=$$("$$RF_OPA_BIN" fmt -l contracts/policies) && test -z "$$out"' \
		|| { echo "rego not formatted: run opa fmt -w contracts/policies"; exit 1; }
	contracts/policies/build.sh --check

lint-deploy: ## lint and render the Helm chart; lint the GitHub workflow with actionlint
	deploy/helm-check.sh
	deploy/local/go-tool.sh github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 .github/workflows/ci.yml

typecheck: bootstrap ## tsc --noEmit over the whole workspace
	tsc -p tsconfig.json --noEmit

format: bootstrap ## rewrite files with prettier
	prettier --write . --log-level warn

test-unit: bootstrap ## unit tests
	jest -c jest.config.js --selectProjects unit

test-int: bootstrap ## integration tests against the running stack
	deploy/local/with-env.sh jest -c jest.config.js --selectProjects integration --runInBand

test-e2e: build ## end-to-end tests of the whole platform
	deploy/local/with-env.sh jest -c jest.config.js --selectProjects e2e --runInBand

test: bootstrap ## lint, typecheck, unit, integration and e2e tests; ends with "N passed, N failed"
	RF_STACK=$(RF_STACK) deploy/local/run-tests.sh

bench-event-backbone: bootstrap stack-up ## event backbone throughput and latency (prints figures)
	deploy/local/with-env.sh rf events provision
	SWC_NODE_PROJECT=tsconfig.json deploy/local/with-env.sh node -r @swc-node/register bench/event-backbone/event-backbone.bench.ts

stack-up: ## start the local stack (PostgreSQL, Kafka, Apicurio Registry, Temporal, opa, moto, vcsim)
	deploy/local/stack.sh up

stack-down: ## stop the local stack
	deploy/local/stack.sh down

stack-status: ## report each component of the local stack
	deploy/local/stack.sh status

up: build stack-up ## build, start the stack and every service, print the URLs
	deploy/local/with-env.sh rf events provision
	deploy/local/with-env.sh rf events register
	deploy/local/services.sh up

down: ## stop every service and the stack
	deploy/local/services.sh down
	deploy/local/stack.sh down

status: ## the stack, then every service's readiness
	deploy/local/stack.sh status
	deploy/local/with-env.sh rf health
