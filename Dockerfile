# The Node server on its embedded libSQL file, data in the /data volume.
#   docker build -t tenor .
#   docker run -d --name tenor --env-file .env -p 8787:8787 -v tenor-data:/data tenor
# Backup while it runs: docker exec tenor node dist/backup.mjs /data/backups/tenor-$(date +%F).db
# (README: Running with Docker.)

# The build needs the dev dependencies (esbuild); the image keeps only the production ones.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# no install scripts: nothing the server or its bundle runs needs one (libsql's binary is an optional package)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts/backup.ts ./scripts/backup.ts
RUN npm run -s build:node \
 && npx esbuild scripts/backup.ts --bundle --platform=node --format=esm --target=node20 --packages=external --outfile=dist/backup.mjs --log-level=warning \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-slim
ENV NODE_ENV=production \
    TENOR_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=file:/data/tenor.db \
    RATE_LIMITS=true
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# found by the bundle as the nearest migrations/ above dist/; applied on start
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node is PID 1 and handles SIGTERM itself (README: Shutdown): `docker stop` drains and closes the database
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=4", "dist/server.mjs"]
