/** Reads and writes of the `sources` table. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { Source, SourceStatus } from './source.model';
import { storableJson } from '../common/storable-text';

interface Row {
  id: string;
  name: string;
  repo_url: string;
  revision: string;
  path: string;
  recurse: boolean;
  status: SourceStatus;
  created_at: Date;
  updated_at: Date;
}

export interface SourceWrite {
  readonly name: string;
  readonly repoURL: string;
  readonly revision: string;
  readonly path: string;
  readonly recurse: boolean;
}

@Injectable()
export class SourceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByName(name: string): Promise<Source | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM sources WHERE name = $1`, [
      name,
    ]);
    return rows.length ? toSource(rows[0]) : null;
  }

  async findById(id: string): Promise<Source | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM sources WHERE id = $1`, [id]);
    return rows.length ? toSource(rows[0]) : null;
  }

  async list(): Promise<Source[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM sources ORDER BY name`);
    return rows.map(toSource);
  }

  async insert(write: SourceWrite): Promise<Source> {
    try {
      const rows: Row[] = await this.dataSource.query(
        `INSERT INTO sources (name, repo_url, revision, path, recurse) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [write.name, write.repoURL, write.revision, write.path, write.recurse],
      );
      return toSource(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          DomainErrorCode.AlreadyExists,
          `source "${write.name}" already exists`,
          [
            {
              field: 'name',
              rule: 'unique',
              message: `a source named "${write.name}" already exists`,
            },
          ],
        );
      }
      throw error;
    }
  }

  async update(id: string, write: SourceWrite): Promise<void> {
    await this.dataSource.query(
      `UPDATE sources SET repo_url = $2, revision = $3, path = $4, recurse = $5, updated_at = now() WHERE id = $1`,
      [id, write.repoURL, write.revision, write.path, write.recurse],
    );
  }

  async saveStatus(id: string, status: SourceStatus): Promise<void> {
    // A problem's message may quote a value of the file, unstorable characters included.
    await this.dataSource.query(`UPDATE sources SET status = $2 WHERE id = $1`, [
      id,
      storableJson(status),
    ]);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sources WHERE id = $1`, [id]);
  }
}

function toSource(row: Row): Source {
  return {
    id: row.id,
    name: row.name,
    repoURL: row.repo_url,
    revision: row.revision,
    path: row.path,
    recurse: row.recurse,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
