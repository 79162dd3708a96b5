import { Controller, Get, Module, Post } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Acts, Authorize, OnlyRecords, Public } from '@rf/platform-policy';
import { Authenticated } from '../nest/authenticated.decorator';
import { listEventHandlers, listRoutes } from './route-coverage';

@Controller('api/v1/things')
class ThingsController {
  @Get()
  @Authorize('asset.read')
  list(): void {}

  @Post(':id')
  forgotten(): void {}

  @EventPattern('io.resiliencefabric.thing.v1')
  consume(): void {}

  @EventPattern(['io.resiliencefabric.thing.v1', 'io.resiliencefabric.other.v1'])
  @Acts('thing.fix', 'FixThingHandler')
  fix(): void {}

  @EventPattern('io.resiliencefabric.noted.v1')
  @OnlyRecords('records a note')
  note(): void {}
}

@Public()
@Controller()
class ProbeController {
  @Get('healthz')
  live(): void {}
}

@Controller('api/v1/me')
class MeController {
  @Get()
  @Authenticated()
  me(): void {}
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

@Module({})
class ThingsModule {}

describe('listRoutes', () => {
  it('finds every HTTP route through static and dynamic imports, with its guard', () => {
    const routes = listRoutes({
      module: ThingsModule,
      imports: [ProbeModule, { module: ThingsModule, controllers: [MeController] }],
      controllers: [ThingsController],
    });
    expect(routes).toEqual(
      expect.arrayContaining([
        {
          controller: 'ThingsController',
          handler: 'list',
          method: 'GET',
          path: '/api/v1/things',
          guard: 'authorize',
          action: 'asset.read',
        },
        {
          controller: 'ThingsController',
          handler: 'forgotten',
          method: 'POST',
          path: '/api/v1/things/:id',
          guard: 'none',
        },
        { controller: 'ProbeController', handler: 'live', method: 'GET', path: '/healthz', guard: 'public' },
        {
          controller: 'MeController',
          handler: 'me',
          method: 'GET',
          path: '/api/v1/me',
          guard: 'authenticated',
        },
      ]),
    );
    // Event handlers are not HTTP routes.
    expect(routes.map((r) => r.handler)).not.toContain('consume');
    expect(routes.filter((r) => r.guard === 'none')).toHaveLength(1);
  });

  it('finds every event handler, acting through the gate, only recording, or neither', () => {
    expect(
      listEventHandlers({ module: ThingsModule, imports: [ProbeModule], controllers: [ThingsController] }),
    ).toEqual([
      {
        controller: 'ThingsController',
        handler: 'consume',
        patterns: ['io.resiliencefabric.thing.v1'],
        guard: 'none',
      },
      {
        controller: 'ThingsController',
        handler: 'fix',
        patterns: ['io.resiliencefabric.thing.v1', 'io.resiliencefabric.other.v1'],
        guard: 'acts',
        action: 'thing.fix',
      },
      {
        controller: 'ThingsController',
        handler: 'note',
        patterns: ['io.resiliencefabric.noted.v1'],
        guard: 'records',
      },
    ]);
  });
});
