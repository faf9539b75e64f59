import { IsNotEmpty, IsString } from 'class-validator';

/** Input of the tools that act on one note. */
export class NoteIdDto {
  @IsString()
  @IsNotEmpty()
  id!: string;
}
