// The files users deploy with — deploy/Dockerfile, deploy/compose.yaml and deploy/kubernetes — read as
// the programs that run them would, without Docker or a cluster: every command they give is one the
// `wardwatch` command line accepts with the environment they give it (the compose server once asked
// for an open server on the network, which the command refuses), the sign-in file the servers mount
// is valid, and the Kubernetes objects refer to each other (ports, probes, volumes, the image, the
// Service behind the Ingress) as they must.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseCommandLine } from '@wardwatch/cli';
import { parseAuthConfig, parseIngestTokens } from '@wardwatch/server';

const root = new URL('../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const instruction = (name: string) => JSON.parse(new RegExp(`^${name} (\\[.*\\])$`, 'm').exec(dockerfile)![1]!) as string[];

  it('runs the compiled command, and its default command is one the command accepts', () => {
    const entrypoint = instruction('ENTRYPOINT');
    expect(entrypoint[0]).toBe('node');
    // The build (npm run build, which the tests' set-up runs too) writes it.
    expect(existsSync(join(root, entrypoint[1]!))).toBe(true);
    expect(parseCommandLine(instruction('CMD'), {})).toMatchObject({ command: 'start', host: '0.0.0.0' });
  });

  it('fixes glibc’s threshold for mapping large buffers on their own (docs/operations.md, "Memory on Linux")', () => {
    expect(/^ENV MALLOC_MMAP_THRESHOLD_=(\d+)$/m.exec(dockerfile)?.[1]).toBe('131072');
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, { build?: unknown; command?: string[]; environment?: Record<string, string>; ports?: string[] }> };
  const ours = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  it.each(ours.map(([name]) => [name]))('%s: its command is one the command accepts, with its environment', (name) => {
    const service = compose.services[name]!;
    expect(service.command).toBeDefined();
    expect(() => parseCommandLine(service.command!, service.environment ?? {})).not.toThrow();
  });

  it('publishes the open server on the host’s loopback address only', () => {
    const server = compose.services.server!;
    expect(server.command).toContain('--no-auth-on-network');
    expect(server.ports).toEqual(['127.0.0.1:8080:8080']);
  });
});

describe('deploy/kubernetes', () => {
  interface Container {
    name: string;
    image: string;
    args: string[];
    envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
    env?: Array<{ name: string; value: string }>;
    ports: Array<{ name: string; containerPort: number }>;
    readinessProbe: { httpGet: { path: string; port: string } };
    livenessProbe: { httpGet: { path: string; port: string } };
    volumeMounts?: Array<{ name: string; mountPath: string }>;
  }
  interface K8sObject {
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
    stringData?: Record<string, string>;
    spec?: {
      selector?: Record<string, unknown>;
      template?: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }> } };
      ports?: Array<{ name: string; targetPort: string }>;
      tls?: Array<{ hosts: string[] }>;
      rules?: Array<{ host: string; http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> } }>;
    };
  }
  const kustomization = parseYaml(read('deploy/kubernetes/kustomization.yaml')) as { resources: string[]; images: Array<{ name: string }> };
  const objects = kustomization.resources.flatMap((file) => parseAllDocuments(read(`deploy/kubernetes/${file}`)).map((d) => d.toJS() as K8sObject));
  const secret = parseYaml(read('deploy/kubernetes/secret.example.yaml')) as K8sObject;
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  /** A container's environment as Kubernetes gives it: its envFrom sources (the Secret as its example), then env. */
  function environment(container: Container): Record<string, string> {
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) Object.assign(env, named('ConfigMap', source.configMapRef.name)!.data);
      if (source.secretRef) {
        expect(source.secretRef.name).toBe(secret.metadata.name);
        Object.assign(env, secret.stringData);
      }
    }
    for (const { name, value } of container.env ?? []) env[name] = value;
    return env;
  }

  it('holds a processor and a server, each container from the kustomization’s image', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['wardwatch-processor', 'wardwatch-server']);
    for (const d of deployments) for (const c of d.spec!.template!.spec.containers) expect(kustomization.images.map((i) => i.name)).toContain(c.image);
  });

  it.each([['wardwatch-processor', 'processor'], ['wardwatch-server', 'server']])('%s runs `wardwatch %s` as the command accepts it, and probes its /healthz', (name, command) => {
    const deployment = named('Deployment', name)!;
    const [container] = deployment.spec!.template!.spec.containers;
    const args = parseCommandLine(container!.args, environment(container!)) as { command: string; port: number; host: string };
    expect(args.command).toBe(command);
    expect(args.host).toBe('0.0.0.0');
    // The port it listens on is the container's, and the probes ask it by name.
    const port = container!.ports.find((p) => p.containerPort === args.port);
    expect(port, `a container port ${args.port}`).toBeDefined();
    for (const probe of [container!.readinessProbe, container!.livenessProbe]) expect(probe.httpGet).toEqual({ path: '/healthz', port: port!.name });
    // Every mount is a volume of the pod.
    const volumes = deployment.spec!.template!.spec.volumes ?? [];
    for (const mount of container!.volumeMounts ?? []) expect(volumes.map((v) => v.name)).toContain(mount.name);
  });

  it('mounts a valid sign-in file where the server looks for it, its secrets from the Secret', () => {
    const server = named('Deployment', 'wardwatch-server')!;
    const [container] = server.spec!.template!.spec.containers;
    const env = environment(container!);
    const args = parseCommandLine(container!.args, env) as { authConfig?: string; publicUrl?: string };
    expect(args.authConfig).toBe(env.WARDWATCH_AUTH_CONFIG);
    const mount = container!.volumeMounts!.find((m) => args.authConfig!.startsWith(`${m.mountPath}/`))!;
    const volume = server.spec!.template!.spec.volumes!.find((v) => v.name === mount.name)!;
    const file = args.authConfig!.slice(mount.mountPath.length + 1);
    const text = named('ConfigMap', volume.configMap!.name)!.data![file]!;
    // The example Secret's session key is a placeholder, refused as it stands; a made one is taken.
    expect(() => parseAuthConfig(text, file, env)).toThrow(/session\.secret: is a placeholder, not a secret/);
    const auth = parseAuthConfig(text, file, { ...env, WARDWATCH_SESSION_SECRET: 'p0Vd2yU1wq8m7R3kLr9eXc5TtJfZbNaQhGs4iWoYv6DnMxKlP' });
    // Users come back to the public address the server is told of.
    expect(new URL(auth.redirectUrl).origin).toBe(new URL(args.publicUrl!).origin);
  });

  it('takes telemetry only from devices with an ingest token: the token file mounted where the server reads it', () => {
    const server = named('Deployment', 'wardwatch-server')!;
    const [container] = server.spec!.template!.spec.containers;
    const env = environment(container!);
    expect(env.WARDWATCH_INGEST_TOKENS, 'WARDWATCH_INGEST_TOKENS').toBeDefined();
    const path = env.WARDWATCH_INGEST_TOKENS!;
    const mount = container!.volumeMounts!.find((m) => path.startsWith(`${m.mountPath}/`));
    expect(mount, `a mount holding ${path}`).toBeDefined();
    const volume = server.spec!.template!.spec.volumes!.find((v) => v.name === mount!.name)!;
    const text = named('ConfigMap', volume.configMap!.name)!.data![path.slice(mount!.mountPath.length + 1)]!;
    // A valid file: as shipped it lists no device, so every device is refused until added.
    expect(parseIngestTokens(text, path).size).toBe(0);
  });

  it('sends the ingress’s host, the public URL’s, to the server’s Service and port', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    const service = named('Service', 'wardwatch-server')!;
    const rule = ingress.spec!.rules![0]!;
    const publicHost = new URL(named('ConfigMap', 'wardwatch')!.data!.WARDWATCH_PUBLIC_URL!).host;
    expect(rule.host).toBe(publicHost);
    expect(ingress.spec!.tls![0]!.hosts).toEqual([publicHost]);
    const backend = rule.http.paths[0]!.backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec!.ports!.map((p) => p.name)).toContain(backend.port.name);
    const server = named('Deployment', 'wardwatch-server')!.spec!.template!;
    expect(server.spec.containers[0]!.ports.map((p) => p.name)).toContain(service.spec!.ports![0]!.targetPort);
    expect(service.spec!.selector).toEqual(server.metadata.labels);
  });
});
