/**
 * What the verb handlers of one virtual cluster work with: its store, its
 * served types, its allocators and clock, and the requests they serve.
 */
import { Json } from '../api/json';
import { ResourceRegistry } from '../api/resource-registry';
import { ResourceType } from '../api/resource-type';
import { ServiceAllocator } from '../objects/write-strategy';
import { ObjectStore } from '../store/object-store';

export interface ApiContext {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly allocator: ServiceAllocator;
  now(): Date;
  /** A fresh `metadata.uid`. */
  newUid(): string;
  /** Five characters for `generateName`, from the alphabet the API server uses. */
  nameSuffix(): string;
}

export type Verb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** A request for a resource, after routing and authentication. */
export interface ResourceRequest {
  readonly verb: Verb;
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: 'status' | 'scale';
  readonly query: URLSearchParams;
  readonly body?: Json;
  readonly contentType?: string;
  readonly userAgent?: string;
}

/** A complete (non-streaming) answer. */
export interface Reply {
  readonly status: number;
  readonly body: Json;
}
