import { BadRequestException, NotFoundException } from '@nestjs/common';
import { AppError } from '@rf/platform-errors';
import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it('maps an application error by kind, with its code and safe metadata', () => {
    const error = new AppError('DRIFT.UNKNOWN_IMAGE_FAMILY', 'no family ubuntu-99', {
      kind: 'not_found',
      metadata: { family: 'ubuntu-99' },
    });
    expect(toProblem(error, '/api/v1/drift', 'c-1')).toEqual({
      type: 'https://resiliencefabric.io/problems/drift.unknown_image_family',
      title: 'DRIFT.UNKNOWN_IMAGE_FAMILY',
      status: 404,
      detail: 'no family ubuntu-99',
      code: 'DRIFT.UNKNOWN_IMAGE_FAMILY',
      metadata: { family: 'ubuntu-99' },
      instance: '/api/v1/drift',
      correlationId: 'c-1',
    });
  });

  it('hides the details of internal failures', () => {
    const problem = toProblem(
      new AppError('LEDGER.CORRUPT', 'leaf 9 hash mismatch at 0xdead', { metadata: { leaf: 9 } }),
      '/x',
    );
    expect(problem).toMatchObject({ status: 500, detail: 'The request could not be completed.' });
    expect(JSON.stringify(problem)).not.toContain('0xdead');
    expect(toProblem(new Error('secret stack'), '/x')).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'PLATFORM.UNEXPECTED',
      instance: '/x',
    });
  });

  it('keeps the status of framework and middleware errors', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'), '/nope')).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 'HTTP.404',
      detail: 'Cannot GET /nope',
    });
    expect(toProblem(new BadRequestException(['a must be a string', 'b is required']), '/y')).toMatchObject({
      status: 400,
      detail: 'a must be a string; b is required',
    });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413 });
    expect(toProblem(tooLarge, '/z')).toMatchObject({ status: 413, title: 'Content Too Large' });
  });
});
