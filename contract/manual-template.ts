import type { ChoiceColour, SchemaField } from './manual.js';

/**
 * The ward template a Manual-mode team may start from: the fields a ward list usually carries
 * (the room is a built-in field of every patient, so the template adds the bed). It is data, not
 * a stored schema: the tab puts it into the field editor in the owner's language, and the owner
 * changes what they like before saving it through the ordinary schema API. Field ids stay the
 * same in every language, so columns and imports name them alike; labels and choices are words.
 */
export type TemplateLanguage = 'en' | 'ru' | 'zh-CN' | 'zh-TW';

type Words = Record<TemplateLanguage, string>;
type TemplateChoice = { words: Words; colour?: ChoiceColour };
type TemplateField = Pick<SchemaField, 'id' | 'type' | 'required'> & { label: Words; choices?: TemplateChoice[] };

const templateFields: readonly TemplateField[] = [
  { id: 'bed', type: 'text', label: { en: 'Bed', ru: 'Койка', 'zh-CN': '床位', 'zh-TW': '床位' } },
  {
    id: 'status',
    type: 'choice',
    label: { en: 'Status', ru: 'Состояние', 'zh-CN': '状态', 'zh-TW': '狀態' },
    choices: [
      { words: { en: 'Stable', ru: 'Стабильное', 'zh-CN': '稳定', 'zh-TW': '穩定' }, colour: 'green' },
      { words: { en: 'Watch', ru: 'Наблюдение', 'zh-CN': '观察', 'zh-TW': '觀察' }, colour: 'yellow' },
      { words: { en: 'Critical', ru: 'Тяжёлое', 'zh-CN': '危重', 'zh-TW': '危急' }, colour: 'red' },
      { words: { en: 'Ready for discharge', ru: 'К выписке', 'zh-CN': '待出院', 'zh-TW': '待出院' }, colour: 'blue' },
    ],
  },
  { id: 'assignedNurse', type: 'person', label: { en: 'Assigned nurse', ru: 'Медсестра', 'zh-CN': '责任护士', 'zh-TW': '責任護理師' } },
  { id: 'admissionDate', type: 'date', label: { en: 'Admission date', ru: 'Дата поступления', 'zh-CN': '入院日期', 'zh-TW': '入院日期' } },
  { id: 'diagnosis', type: 'longText', label: { en: 'Diagnosis', ru: 'Диагноз', 'zh-CN': '诊断', 'zh-TW': '診斷' } },
  {
    id: 'codeStatus',
    type: 'choice',
    label: { en: 'Code status', ru: 'Реанимационный статус', 'zh-CN': '抢救意愿', 'zh-TW': '急救意願' },
    choices: [
      { words: { en: 'Full code', ru: 'Полная реанимация', 'zh-CN': '全力抢救', 'zh-TW': '全力急救' }, colour: 'green' },
      { words: { en: 'DNR', ru: 'Не реанимировать', 'zh-CN': '不做心肺复苏', 'zh-TW': '不施行心肺復甦術' }, colour: 'red' },
      { words: { en: 'Comfort care', ru: 'Паллиативная помощь', 'zh-CN': '安宁疗护', 'zh-TW': '安寧照護' }, colour: 'purple' },
    ],
  },
  {
    id: 'isolation',
    type: 'choice',
    label: { en: 'Isolation', ru: 'Изоляция', 'zh-CN': '隔离', 'zh-TW': '隔離' },
    choices: [
      { words: { en: 'None', ru: 'Нет', 'zh-CN': '无', 'zh-TW': '無' } },
      { words: { en: 'Contact', ru: 'Контактная', 'zh-CN': '接触隔离', 'zh-TW': '接觸隔離' }, colour: 'orange' },
      { words: { en: 'Droplet', ru: 'Капельная', 'zh-CN': '飞沫隔离', 'zh-TW': '飛沫隔離' }, colour: 'orange' },
      { words: { en: 'Airborne', ru: 'Воздушная', 'zh-CN': '空气隔离', 'zh-TW': '空氣隔離' }, colour: 'red' },
    ],
  },
];

/** The ward template's fields in a language, as the schema API takes them. */
export function wardTemplate(language: TemplateLanguage): SchemaField[] {
  return templateFields.map(({ id, type, required, label, choices }) => {
    const field: SchemaField = { id, type, label: label[language], ...(required ? { required } : {}) };
    if (!choices) return field;
    const colours: Record<string, ChoiceColour> = {};
    for (const c of choices) if (c.colour) colours[c.words[language]] = c.colour;
    return { ...field, choices: choices.map((c) => c.words[language]), colours };
  });
}
