# One image for the three services; the command picks the service.
# Multi-stage: dependencies and the TypeScript build in one stage, a slim runtime in the other.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY services ./services
COPY simulator ./simulator
COPY stack ./stack
COPY cli ./cli
COPY demo ./demo
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
COPY config ./config
USER node
# Overridden per service in docker-compose.yml.
CMD ["node", "dist/services/ingest/src/main.js"]
