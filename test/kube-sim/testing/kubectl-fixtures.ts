/**
 * Manifests the kubectl end-to-end spec applies, as a user would keep them
 * in files: YAML text, written to the session's directory.
 */

/** A directory of manifests: a Deployment, a Service and a ConfigMap labelled app=x in namespace demo. */
export const APP = {
  'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels: {app: x}
spec:
  replicas: 2
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
`,
  'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  labels: {app: x}
spec:
  selector: {app: x}
  ports:
    - port: 80
      targetPort: 80
`,
  'configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: demo
  labels: {app: x}
data:
  greeting: hello
`,
};

/** A namespaced CRD with a structural schema: widgets.example.com, short name wd. */
export const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
                color: {type: string}
`;

/** A custom resource of that CRD. */
export const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: blue-widget, namespace: demo}
spec: {size: 3, color: blue}
`;
