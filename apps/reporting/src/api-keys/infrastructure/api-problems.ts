import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '@platform/service-kit';

/** OpenAPI: the problem+json answers of an operation. */
export function ApiProblems(...responses: Array<[status: number, description: string]>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}
