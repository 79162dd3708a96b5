import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'service_instances' })
export class ServiceInstanceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  service!: string;

  @Column('text')
  version!: string;

  @Column('text', { name: 'commit_sha', nullable: true })
  commitSha!: string | null;

  @Column('text')
  hostname!: string;

  @Column('integer')
  pid!: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'stopped_at', nullable: true })
  stoppedAt!: Date | null;
}
